from wagtail import hooks

# --- Linity/ASSIP expert network (courses/experts) --------------------------------------------
from courses.experts.viewsets import expert_log_actions_register, expert_network_viewset_group


@hooks.register("register_admin_viewset")
def register_expert_network_viewsets():
    return expert_network_viewset_group


@hooks.register("register_log_actions")
def register_expert_log_actions(actions):
    expert_log_actions_register(actions)


# --- end of the expert network ------------------------------------------------------------------
