# Belgian German (de-BE) writes short dates and amounts as Belgian French does (17/05/1990,
# 1.234,56), not as Germany does (17.05.1990); long dates take the German ordinal dot (17. Mai 1990).
from ..fr.formats import *  # noqa: F403

DATE_FORMAT = "j. F Y"
DATETIME_FORMAT = "j. F Y H:i"
