"""The one place that answers: what a reply says and the run behind it (`answer`), the plan for
a reply and the one function that sends it (`reply`), what a person's message asks of the bot
(`user_message`), and that message answered exactly once (`exactly_once`, `dedupe`)."""
