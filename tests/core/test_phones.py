"""Phone numbers as keys (``gatewatch.core.phones``), and the site's ``country`` they are read in."""

from __future__ import annotations

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from gatewatch.core import phones
from gatewatch.core.errors import InvalidInput
from gatewatch.core.parse import build_site
from support import SITE_YAML


def test_written_internationally_the_trunk_zero_and_punctuation_are_set_aside() -> None:
    assert phones.international("+44 (0)20 7946 0958", None) == "+442079460958"
    assert phones.international("+44 20 7946-0958", None) == "+442079460958"
    assert phones.international("00 44 20 7946 0958", None) == "+442079460958"


def test_written_nationally_it_is_read_in_the_country_given_or_not_at_all() -> None:
    assert phones.international("020 7946 0958", "GB") == "+442079460958"
    assert phones.international("55 1234 5678", "MX") == "+525512345678"
    assert phones.international("020 7946 0958", None) is None


def test_an_extension_is_part_of_the_number() -> None:
    assert phones.international("+44 20 7946 0958 ext. 12", None) == "+442079460958;ext=12"
    assert phones.keys("+44 20 7946 0958 ext. 12", None)[0] != phones.keys("+44 20 7946 0958 ext. 13", None)[0]


def test_the_country_given_may_be_in_either_case() -> None:
    assert (
        phones.international("020 7946 0958", "gb") == phones.international("020 7946 0958", " GB ") == "+442079460958"
    )


@pytest.mark.parametrize(("phone", "country"), [("0000000000", "GB"), ("+44 111 1111", None), ("9999999", None)])
def test_a_number_of_one_digit_repeated_is_a_placeholder_with_no_key(phone: str, country: str | None) -> None:
    assert phones.keys(phone, country) == ()


def test_near_miss_a_number_with_repeated_digits_among_others_keeps_its_keys() -> None:
    assert phones.keys("+1 800 000 0000", None) == ("+18000000000", "18000000000")


def test_what_cannot_be_read_is_none() -> None:
    assert phones.international("+999 1234 5678", "GB") is None
    assert phones.international("no phone", "GB") is None


def test_the_keys_are_the_international_form_and_the_digits() -> None:
    assert phones.keys("0044 (0)20 7946 0958", "MX") == ("+442079460958", "4402079460958")
    assert phones.keys("020 7946 0958", None) == ("02079460958",)
    assert phones.keys("+999 1234 5678", "GB") == ("99912345678",)


def test_digits_in_other_scripts_are_the_same_digits() -> None:
    assert phones.keys("０２０ ７９４６ ０９５８", "GB") == phones.keys("020 7946 0958", "GB")
    assert phones.international("００４４ 20 7946 0958", None) == "+442079460958"


def test_too_few_digits_make_no_key() -> None:
    assert phones.keys("112", "GB") == ()
    assert phones.keys("+44 1", None) == ()
    assert phones.keys("12345", None) == ()
    assert phones.keys("123456", None) == ("123456",)


@given(
    st.sampled_from(["+442079460958", "+525512345678", "+33145001234", "+12025550143"]),
    st.lists(st.tuples(st.integers(0, 12), st.sampled_from([" ", "-", ".", "/", "(", ")"])), max_size=12),
)
def test_spacing_and_punctuation_never_change_the_number(number: str, marks: list[tuple[int, str]]) -> None:
    """However the digits of an international number are spaced out, it is the same number."""
    written = list(number[1:])
    for place, mark in marks:
        written.insert(min(place, len(written)), mark)
    assert phones.international("+" + "".join(written), None) == number


def _site(**extra: object) -> dict[str, object]:
    raw: dict[str, object] = yaml.safe_load(SITE_YAML)
    raw.update(extra)
    return raw


def test_a_site_country_is_kept_in_upper_case() -> None:
    assert build_site(_site(country="MX")).country == "MX"
    assert build_site(_site(country="gb")).country == "GB"
    assert build_site(_site()).country is None


@pytest.mark.parametrize("code", ["ZZ", "MEX", "M", "4X", "EU"])
def test_a_site_country_that_is_no_country_code_is_refused_naming_the_field(code: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        build_site(_site(country=code))
    assert refused.value.field == "country"
    assert f'"{code}" is not a country code' in str(refused.value)


def test_a_site_country_of_the_wrong_type_is_refused_naming_the_field() -> None:
    with pytest.raises(InvalidInput) as refused:
        build_site(_site(country=52))
    assert refused.value.field == "country"
