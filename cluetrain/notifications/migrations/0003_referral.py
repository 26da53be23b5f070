# Written for the partner network's referrals: one more notification kind.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('notifications', '0002_invitation_to_answer'),
    ]

    operations = [
        migrations.AlterField(
            model_name='notification',
            name='kind',
            field=models.CharField(choices=[('reply', 'Reply'), ('mention', 'Mention'), ('follow', 'New follower'), ('connect_request', 'Connection request'), ('connect_accepted', 'Connection accepted'), ('idea_status', 'Idea status changed'), ('staff_reply', 'Staff replied'), ('invite', 'Invitation to answer'), ('referral', 'Referral')], max_length=20),
        ),
    ]
