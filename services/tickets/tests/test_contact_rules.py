"""The pure rules of contacts: what a visitor's details become, how a search matches."""

from switchboard.tickets.domain.contacts import ContactDetails, details_from, search_pattern


def test_blank_details_are_absent_and_the_email_is_lower_cased() -> None:
    details = details_from({"name": "  Trần   Huyền ", "email": " Huyen@Example.COM", "phone": " "})
    assert details == ContactDetails(name="Trần Huyền", email="huyen@example.com", phone=None)


def test_details_that_are_not_text_are_ignored_and_long_ones_cut() -> None:
    details = details_from({"name": 42, "email": None, "phone": "1" * 80})
    assert details.name is None and details.email is None
    assert details.phone == "1" * 50


def test_search_takes_wildcards_literally() -> None:
    assert search_pattern("50%_off\\") == "%50\\%\\_off\\\\%"
    assert search_pattern("  ann  lee ") == "%ann lee%"


def test_an_empty_search_matches_everything() -> None:
    assert search_pattern(None) is None
    assert search_pattern("   ") is None
