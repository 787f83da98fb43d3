"""The files part's vocabulary in the registries lower apps keep (notification kinds, audit actions, periodic jobs,
offline sync kinds, upload uses): called from LibraryConfig.ready.

- audit actions: a file added to or removed from a version;
- media's video scopes: the videos of library files a person may see (the published version's for everyone, every
  version's for the author, her head teacher and the area's mentors and moderators), so `media:file` serves them;
- the upload use `library_file` is registered by `core.uploads` itself (decision 0007). The preview task is not a
  periodic job: it is enqueued when a file is added."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

FILE_ADDED = "library_file_added"
FILE_REMOVED = "library_file_removed"


def register() -> None:
    from shikhon.core.audit import AuditAction, audit_actions
    from shikhon.library.selectors.files import library_public_videos_q, library_videos_q
    from shikhon.media.permissions import register_public_video_scope, register_video_scope

    for action in (
        AuditAction(FILE_ADDED, _("File added to a library content")),
        AuditAction(FILE_REMOVED, _("File removed from a library content")),
    ):
        audit_actions.add(action)
    register_video_scope(library_videos_q)
    register_public_video_scope(library_public_videos_q)
