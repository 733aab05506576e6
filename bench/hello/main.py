def hello(request):
    return "ok"
