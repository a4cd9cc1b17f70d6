"""axe-core (shipped inside the axe-playwright-python package) against a Playwright page, at
the project's bar: WCAG 2.2 AA (with the A and AA rules of 2.0 and 2.1 it includes). The one
helper every browser test checks accessibility with."""

from axe_playwright_python.sync_playwright import Axe

WCAG_22_AA = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"],
    },
    "resultTypes": ["violations"],
}

_axe = Axe()


def axe_violations(page) -> list[str]:
    results = _axe.run(page, options=WCAG_22_AA)
    return [
        f"{violation['id']}: {violation['help']} ({len(violation['nodes'])} nodes: "
        f"{', '.join(node['target'][0] for node in violation['nodes'][:3])})"
        for violation in results.response["violations"]
    ]


def assert_accessible(page) -> None:
    violations = axe_violations(page)
    assert violations == [], "\n".join(violations)
