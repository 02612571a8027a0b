"""The pure rules of the directory: how emails compare."""

import pytest

from switchboard.routing.directory.domain.emails import normalize_email


class TestEmail:
    def test_addresses_compare_trimmed_and_lower_cased(self) -> None:
        assert normalize_email("  Ada.Admin@Example.COM ") == "ada.admin@example.com"

    @pytest.mark.parametrize("bad", ["", "ada", "ada@", "@example.com", "a b@example.com", "a@b"])
    def test_non_addresses_are_refused(self, bad: str) -> None:
        with pytest.raises(ValueError):
            normalize_email(bad)
