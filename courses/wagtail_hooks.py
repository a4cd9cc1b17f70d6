from wagtail.snippets.models import register_snippet

from courses.viewsets import TopicViewSet

register_snippet(TopicViewSet)
