from rest_framework.routers import SimpleRouter

from .api import ClaimJobViewSet, ClaimViewSet

router = SimpleRouter()
router.register("claims", ClaimViewSet, basename="claim")
router.register("claim-jobs", ClaimJobViewSet, basename="claim-job")

urlpatterns = router.urls
