import os
import time


def hello(request):
    return "ok"


def hello_waiting(request):
    """The hello-world, waiting as long as the bot waits for one call to a far-away Slack
    (BENCH_WAIT_SECONDS): a reference for what waiting alone costs a server's CPU, not the
    baseline."""
    time.sleep(float(os.environ.get("BENCH_WAIT_SECONDS", "0")))
    return "ok"
