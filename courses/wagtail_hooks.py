from wagtail import hooks
from wagtail.snippets.models import register_snippet

from courses.experts.viewsets import (
    ExpertMarkLeftBulkAction,
    ExpertNetworkViewSetGroup,
    ExpertPauseBulkAction,
    expert_log_actions_register,
)
from courses.viewsets import TopicViewSet

register_snippet(TopicViewSet)

# --- Linity/ASSIP expert network (courses/experts) --------------------------------------------

register_snippet(ExpertNetworkViewSetGroup)
hooks.register("register_bulk_action", ExpertPauseBulkAction)
hooks.register("register_bulk_action", ExpertMarkLeftBulkAction)


@hooks.register("register_log_actions")
def register_expert_log_actions(actions):
    expert_log_actions_register(actions)


# --- end of the expert network ------------------------------------------------------------------
