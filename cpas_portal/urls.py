from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import api, person_file_views, views
from .accounts import api as accounts_api
from .accounts.language import set_language
from .person_file_api import person_router

api_v1 = [
    path("auth/token/", accounts_api.TokenView.as_view(), name="api_token"),
    path("auth/logout/", accounts_api.LogoutView.as_view(), name="api_logout"),
    path("auth/logoutall/", accounts_api.LogoutAllView.as_view(), name="api_logout_all"),
    path("", include(api.router.urls)),
    path("", include(person_router.urls)),
]
# Each domain app adds its own API routes (``<app>/api_urls.py``) and pages (``<app>/urls.py``).
DOMAIN_APPS = (
    "measures", "measures.piis", "measures.activation", "measures.interventions", "conventions", "reimbursements",
)
api_v1 += [path("", include(f"{app}.api_urls")) for app in DOMAIN_APPS]

urlpatterns = [
    path("", views.home, name="home"),
    path("handover/", views.files_handover, name="files_handover"),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/count/", views.inbox_count, name="inbox_count"),
    path("inbox/read/", views.inbox_read, name="inbox_read_all"),
    path("inbox/<int:pk>/read/", views.inbox_read, name="inbox_read"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("", include("cpas_portal.accounts.urls")),
    path("beneficiaries/", views.beneficiary_list, name="beneficiary_list"),
    path("beneficiaries/new/", views.beneficiary_create, name="beneficiary_create"),
    path("beneficiaries/pick/", views.person_picker_options, name="person_picker_options"),
    path("beneficiaries/<int:pk>/", views.beneficiary_detail, name="beneficiary_detail"),
    path("beneficiaries/<int:pk>/edit/", views.beneficiary_edit, name="beneficiary_edit"),
    path("beneficiaries/<int:pk>/rights/new/", person_file_views.right_decision_create, name="right_decision_create"),
    path("beneficiaries/<int:pk>/rights/<int:decision_pk>/", person_file_views.right_decision_edit,
         name="right_decision_edit"),
    path("beneficiaries/<int:pk>/notes/new/", person_file_views.case_note_create, name="case_note_create"),
    path("beneficiaries/<int:pk>/notes/<int:note_pk>/", person_file_views.case_note_edit, name="case_note_edit"),
    path("beneficiaries/<int:pk>/documents/new/", person_file_views.document_upload, name="document_upload"),
    path("beneficiaries/<int:pk>/documents/<int:document_pk>/", person_file_views.document_download,
         name="document_download"),
    path("consultations/", views.consultation_list, name="consultation_list"),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api_schema"), name="api_docs"),
]
urlpatterns += [path("", include(f"{app}.urls")) for app in DOMAIN_APPS]

# Friendly error pages in the layout and the user's language (cpas_portal/error_pages.py); a database
# outage is the 503 page (cpas_portal/outage.py).
handler403 = "cpas_portal.error_pages.permission_denied"
handler404 = "cpas_portal.error_pages.page_not_found"
handler500 = "cpas_portal.error_pages.server_error"

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
