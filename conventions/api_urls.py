from rest_framework.routers import SimpleRouter

from .api import ConventionPaymentViewSet, ConventionViewSet

router = SimpleRouter()
# Payments first: their prefix must not be read as a convention id.
router.register("conventions/payments", ConventionPaymentViewSet, basename="convention-payment")
router.register("conventions", ConventionViewSet, basename="convention")

urlpatterns = router.urls
