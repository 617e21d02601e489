from .api import router

urlpatterns = router.urls
