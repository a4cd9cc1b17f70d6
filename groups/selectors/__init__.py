"""Reads for groups, one module per subject (catalogue, enrolment, portal, dashboard,
residential, reports, ...). Selectors return querysets and plain values; they import no
service. Places left come from `groups.capacity`, the centre boundary from `groups.scope`,
contact normalising from `groups.contacts`. Import from the submodules; nothing is
re-exported here."""
