def f(:
  x = request.args["a"
  os.system(x