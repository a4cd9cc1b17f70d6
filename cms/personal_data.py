"""What a model holding personal data declares about it, for the privacy notice.

A model sets `personal_data = PersonalData(...)`; the notice (cms.selectors.privacy_notice)
lists every such model with every one of its fields but the ones named `technical` here, by
their verbose names and help texts. A field added to such a model is in the notice the moment
it exists: the notice cannot drift from what the system stores.
"""

from dataclasses import dataclass, field

from django.utils.functional import Promise


@dataclass(frozen=True)
class PersonalData:
    # Why it is kept and who sees it, in a sentence each (lazily translated).
    purpose: Promise | str
    # How long it is kept. May name a setting in braces, e.g. "{RETENTION_DAYS} days after the
    # group ends": the notice fills in the setting's current value.
    retention: Promise | str
    # How it is erased (automatically, on request).
    erasure: Promise | str
    # Fields that hold nothing about a person (bookkeeping the notice need not list).
    technical: tuple[str, ...] = ()
    # A clearer name for a field than its verbose name, for the notice's readers.
    labels: dict = field(default_factory=dict)
