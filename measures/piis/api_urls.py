from rest_framework.routers import SimpleRouter

from .api import EvaluationViewSet, PiisViewSet

router = SimpleRouter()
router.register("piis", PiisViewSet, basename="piis")
router.register("evaluations", EvaluationViewSet, basename="evaluation")

urlpatterns = router.urls
