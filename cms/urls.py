from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from cms import views
from cms.sitemaps import AllLanguagesSitemap
from groups import urls as groups_urls

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    # Wagtail's Site history behind the centre boundary: in front of Wagtail's own paths.
    path(f"{settings.ADMIN_PATH}/reports/", include(groups_urls.site_history_urlpatterns)),
    path(f"{settings.ADMIN_PATH}/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("sitemap.xml", sitemap, {"sitemaps": {"pages": AllLanguagesSitemap}}, name="sitemap"),
    # Outside the language prefix: these follow the user's language (cookie, Accept-Language).
    path("facilitate/", include(groups_urls.portal_urlpatterns)),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    # A text message's short link: outside the language prefix, short enough for 160 characters.
    path("s/<str:code>", views.short_link, name="short_link"),
]

urlpatterns += i18n_patterns(
    path("search/", views.search, name="search"),
    path("search/suggest/", views.search_suggest, name="search_suggest"),
    path("staying-safe-online/", views.staying_safe, name="staying_safe"),
    path("accessibility/", views.accessibility_statement, name="accessibility_statement"),
    path("privacy/", views.privacy, name="privacy_notice"),
    path("certificate/", include(groups_urls.certificate_urlpatterns)),
    path("feedback/", include(groups_urls.feedback_urlpatterns)),
    path("interest/", include(groups_urls.interest_urlpatterns)),
    # App URLs before Wagtail's catch-all page route.
    path("", include("groups.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)

handler400 = "cms.errors.bad_request"
handler404 = "cms.errors.page_not_found"
handler500 = "cms.errors.server_error"
