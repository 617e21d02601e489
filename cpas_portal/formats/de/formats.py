# Belgian German (de-BE) writes dates and amounts as Belgian French does (17/05/1990, 1.234,56),
# not as Germany does (17.05.1990).
from ..fr.formats import *  # noqa: F403
