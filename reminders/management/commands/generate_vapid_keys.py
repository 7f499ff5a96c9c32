from pathlib import Path

from django.core.management.base import BaseCommand

from reminders.vapid import generate_private_key, public_key_for


class Command(BaseCommand):
    help = "Generate a VAPID key pair for Web Push. Prints it, or adds it to an env file."

    def add_arguments(self, parser):
        parser.add_argument(
            "--env-file",
            help="Append VAPID_PRIVATE_KEY to this file unless it already has one.",
        )

    def handle(self, *args, env_file=None, **options):
        if env_file:
            path = Path(env_file)
            text = path.read_text() if path.exists() else ""
            if "VAPID_PRIVATE_KEY=" in text:
                self.stdout.write(f"{path} already has a VAPID key; left unchanged.")
                return
            private = generate_private_key()
            with path.open("a") as handle:
                handle.write(
                    ("\n" if text and not text.endswith("\n") else "")
                    + f"VAPID_PRIVATE_KEY={private}\n"
                )
            self.stdout.write(f"VAPID key written to {path}")
            return
        private = generate_private_key()
        self.stdout.write(f"VAPID_PRIVATE_KEY={private}")
        self.stdout.write(f"# public key (derived, for reference): {public_key_for(private)}")
