"""One home for each rule (STYLE rule 12), read from the source with `ast`: a second copy of a
rule the project keeps in one place fails here with the file and line to change."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APPS = ("cms", "courses", "groups", "network")


def app_modules():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path, ast.parse(path.read_text(encoding="utf-8"))


def test_text_in_a_language_is_picked_only_by_text_in_language():
    """A model's Swedish or English copy is chosen by `cms.models.text_in_language` (templates:
    the `in_language` filter), never by a hand-written `{"sv": self.x_sv, "en": self.x_en}`."""
    copies = []
    for path, tree in app_modules():
        for node in ast.walk(tree):
            if not isinstance(node, ast.Dict):
                continue
            picks = {
                key.value
                for key, value in zip(node.keys, node.values, strict=True)
                if isinstance(key, ast.Constant)
                and key.value in {"sv", "en"}
                and isinstance(value, ast.Attribute)
                and value.attr.endswith(f"_{key.value}")
            }
            if picks:
                copies.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert copies == []


def test_email_addresses_are_normalised_only_by_groups_contacts():
    """`groups.contacts.normalise_email` is the one way an address is written down: an expert's
    address, a spreadsheet row's and an enrolment's match the same way."""
    copies = []
    for path, tree in app_modules():
        if path == ROOT / "groups" / "contacts.py":
            continue
        for node in ast.walk(tree):
            # `<...email...>.strip().lower()` (or casefold) written out by hand.
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in {"lower", "casefold"}
                and "email" in ast.unparse(node.func.value)
            ):
                copies.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert copies == []
