import logging

from grassroots.privacy import MaskingFilter, mask_id, mask_name, mask_phone, mask_text, pseudonym


def test_masks_follow_domain_conventions():
    assert mask_id("429004198503051239") == "429004********1239"
    assert mask_phone("13972800000") == "139****0000"
    assert mask_name("张三") == "张*"
    assert mask_id(None) is None


def test_mask_text_finds_ids_and_mobiles_in_free_text():
    text = "row 7: id 42900419850305123X phone +86 139-7280-0000 ok"
    masked = mask_text(text)
    assert "42900419850305123X" not in masked
    assert "429004********123X" in masked
    assert "7280" not in masked
    assert "0000" in masked


def test_pseudonym_is_keyed_and_stable():
    a = pseudonym("429004198503051239", b"k1")
    assert a == pseudonym("429004198503051239", b"k1")
    assert a != pseudonym("429004198503051239", b"k2")


def test_masking_filter_masks_log_records(caplog):
    logger = logging.getLogger("test.privacy")
    handler_filter = MaskingFilter()
    record = logger.makeRecord("x", logging.INFO, "f", 1, "id %s", ("429004198503051239",), None)
    handler_filter.filter(record)
    assert record.getMessage() == "id 429004********1239"
