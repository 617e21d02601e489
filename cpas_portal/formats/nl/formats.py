# Belgian Dutch (nl-BE) writes dates and amounts as Belgian French does.
from ..fr.formats import *  # noqa: F403
