from django.urls import include, path

urlpatterns = [
    path("", include("puls.core.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("platform/", include("puls.organisations.platform_urls")),
    path("o/<slug:org_slug>/surveys/", include("puls.surveys.urls")),
    # PDF/XLSX exports of survey reports (namespace "survey_report_export"), beside the report pages.
    path("o/<slug:org_slug>/surveys/", include("puls.surveys.reports.export_urls")),
    path("o/<slug:org_slug>/policy/", include("puls.policy.urls")),
    path("p/<slug:org_slug>/policy/", include("puls.policy.public_urls")),
    path("o/<slug:org_slug>/actions/", include("puls.actions.urls")),
    path("o/<slug:org_slug>/dialogue/", include("puls.participation.urls")),
    path("o/<slug:org_slug>/", include("puls.organisations.urls")),
    path("o/<slug:org_slug>/surveys/<uuid:survey_id>/rate/", include("puls.surveys.urls_rate")),
    path("b/<uuid:ballot_id>/survey/", include("puls.surveys.urls_answer")),
    path("b/<uuid:ballot_id>/dialogue/", include("puls.participation.urls_answer")),
    # The process website (public or internal, DESIGN §4.13).
    path("p/<slug:org_slug>/dialog/", include("puls.participation.urls_site")),
    # "Hvor blev mit input af?": the public receipt page; the code (by POST) decides the process.
    path("kvittering/", include("puls.participation.urls_receipt")),
    # /b/<ballot id>/ (invitation links) and /svar/ (printed codes): participant entry, no organisation.
    path("", include("puls.invitations.urls")),
]
