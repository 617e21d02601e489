from django.urls import path, re_path

from . import views

urlpatterns = [
    path("claims/", views.claim_list, name="claim_list"),
    path("claims/new/", views.claim_request, name="claim_request"),
    re_path(r"^claims/export\.(?P<fmt>csv|xlsx)$", views.claims_export, name="claims_export"),
    path("claims/deadlines/", views.claim_deadlines, name="claim_deadlines"),
    path("claims/jobs/<int:pk>/", views.claim_job, name="claim_job"),
    path("claims/jobs/<int:pk>/retry/", views.claim_job_retry, name="claim_job_retry"),
    path("claims/statements/", views.statement_list, name="statement_list"),
    path("claims/statements/format/", views.statement_format, name="statement_format"),
    path("claims/statements/sample.txt", views.statement_sample, name="statement_sample"),
    path("claims/statements/imports/<int:pk>/", views.statement_job, name="statement_job"),
    path("claims/statements/imports/<int:pk>/retry/", views.statement_job_retry, name="statement_job_retry"),
    path("claims/statements/<int:pk>/", views.statement_detail, name="statement_detail"),
    re_path(r"^claims/statements/records/(?P<pk>[0-9]+)/(?P<action>match|not-ours)/$", views.statement_record_action,
            name="statement_record_action"),
    path("claims/batches/<int:pk>/", views.claim_batch, name="claim_batch"),
    path("claims/<int:pk>/", views.claim_detail, name="claim_detail"),
    path("claims/<int:pk>/pdf/", views.claim_pdf, name="claim_pdf"),
    re_path(r"^claims/(?P<pk>[0-9]+)/lines\.(?P<fmt>csv|xlsx)$", views.claim_lines_export, name="claim_lines_export"),
    path("claims/<int:pk>/review/", views.claim_review, name="claim_review"),
    path("claims/<int:pk>/sign/", views.claim_sign, name="claim_sign"),
    path("claims/<int:pk>/send/", views.claim_send, name="claim_send"),
    path("claims/<int:pk>/reject/", views.claim_reject, name="claim_reject"),
    path("claims/<int:pk>/cancel/", views.claim_cancel, name="claim_cancel"),
    path("claims/<int:pk>/correct/", views.claim_correct, name="claim_correct"),
]
