"""A partial index on the running tasks of django_tasks_db's table: every worker looks for lapsed
leases every few seconds, and the library indexes only the READY rows (the table keeps every
finished task until `prune_db_task_results`). Raw SQL: the table belongs to another app, whose
model state this migration must not change. Same statement on SQLite and PostgreSQL."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("jobs", "0001_initial"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [
        migrations.RunSQL(
            sql=(
                "CREATE INDEX IF NOT EXISTS jobs_task_running ON django_tasks_database_dbtaskresult (started_at)"
                " WHERE status = 'RUNNING'"
            ),
            reverse_sql="DROP INDEX IF EXISTS jobs_task_running",
        )
    ]
