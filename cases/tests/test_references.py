import itertools

from cases.references import (
    CHECK_ALPHABET,
    format_reference,
    is_valid_reference,
    new_tracking_code,
    normalize_tracking_code,
)


def test_reference_format():
    ref = format_reference("RBT", 2026, 4217)
    assert ref.startswith("RBT-2026-004217-")
    assert ref[-1] in CHECK_ALPHABET
    assert is_valid_reference(ref)


def test_check_letter_catches_every_single_substitution():
    ref = format_reference("CAS", 2026, 123456)
    alphabet = "0123456789"
    for i, ch in enumerate(ref[:-2]):
        if not ch.isdigit():
            continue
        for other in alphabet.replace(ch, ""):
            wrong = ref[:i] + other + ref[i + 1 :]
            assert not is_valid_reference(wrong), wrong


def test_check_letter_catches_neighbour_swaps():
    for number in (123456, 908172, 4217):
        ref = format_reference("FES", 2026, number)
        digits = [i for i, c in enumerate(ref[:-2]) if c.isdigit()]
        for a, b in itertools.pairwise(digits):
            if b != a + 1 or ref[a] == ref[b]:
                continue
            swapped = ref[:a] + ref[b] + ref[a] + ref[b + 1 :]
            assert not is_valid_reference(swapped), swapped


def test_tracking_codes_are_long_and_distinct():
    codes = {new_tracking_code() for _ in range(2000)}
    assert len(codes) == 2000
    code = next(iter(codes))
    assert len(normalize_tracking_code(code)) == 16
    assert normalize_tracking_code(code.lower().replace("-", " ")) == normalize_tracking_code(code)


def test_references_are_sequential_per_wilaya_and_year(org, make_case):
    first, second = make_case(), make_case()
    n1, n2 = int(first.reference.split("-")[2]), int(second.reference.split("-")[2])
    assert n2 == n1 + 1
    casa = make_case(actor=org.casa_officer, latitude=33.5830, longitude=-7.6330)
    assert casa.reference.startswith("CAS-") and casa.reference.split("-")[2] == "000001"
