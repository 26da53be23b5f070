"""`cluetrain publish_due_posts`: publish the scheduled blog posts whose time has come.

`cluetrain serve`'s database queue publishes each at its time by itself; this is for installs
that run tasks in-process (TASK_BACKEND=immediate), from cron.
"""

import json
from typing import Any

from django.core.management.base import BaseCommand

from cluetrain.blogs.actions import do_publish_due


class Command(BaseCommand):
    help = "Publish the scheduled blog posts whose time has come."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(json.dumps({"published": do_publish_due()}))
