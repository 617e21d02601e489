from rest_framework.routers import SimpleRouter

from .api import ClaimJobViewSet, ClaimViewSet, StatementJobViewSet, StatementRecordViewSet, StatementViewSet

router = SimpleRouter()
router.register("claims", ClaimViewSet, basename="claim")
router.register("claim-jobs", ClaimJobViewSet, basename="claim-job")
router.register("statements", StatementViewSet, basename="statement")
router.register("statement-jobs", StatementJobViewSet, basename="statement-job")
router.register("statement-records", StatementRecordViewSet, basename="statement-record")

urlpatterns = router.urls
