"""Django admin registrations (read-only views of the log)."""

from django.contrib import admin

from wargame.server.models import EventRecord, Exercise, Seat


@admin.register(Exercise)
class ExerciseAdmin(admin.ModelAdmin):
    list_display = ("id", "title", "scenario_id", "last_seq", "created_at")


@admin.register(Seat)
class SeatAdmin(admin.ModelAdmin):
    list_display = ("exercise", "role", "nation", "label", "revoked")
    exclude = ("token_hash",)


@admin.register(EventRecord)
class EventRecordAdmin(admin.ModelAdmin):
    list_display = ("exercise", "seq", "type", "move", "actor")
    list_filter = ("type",)

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False
