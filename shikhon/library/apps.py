from django.apps import AppConfig


class LibraryConfig(AppConfig):
    name = "shikhon.library"
    label = "library"
    verbose_name = "Teachers' library"

    def ready(self) -> None:
        # Each part registers its vocabulary in the registries lower apps keep (DESIGN.md 15).
        from shikhon.library import (
            registry_contents,
            registry_feedback,
            registry_files,
            registry_packs,
            registry_reviews,
            registry_search,
        )

        for module in (registry_contents, registry_files, registry_search, registry_reviews, registry_feedback,
                       registry_packs):
            module.register()
