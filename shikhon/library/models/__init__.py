"""The teachers' library's rows (decision 0012), one module per part."""

from shikhon.library.models.contents import Content, ContentFile, ContentVersion, Kind, Language, State
from shikhon.library.models.curriculum import Subject, Topic
from shikhon.library.models.feedback import Comment, Rating, Report
from shikhon.library.models.packs import OfflinePack
from shikhon.library.models.reviews import Review, Rubric

__all__ = ["Comment", "Content", "ContentFile", "ContentVersion", "Kind", "Language", "OfflinePack", "Rating",
           "Report", "Review", "Rubric", "State", "Subject", "Topic"]
