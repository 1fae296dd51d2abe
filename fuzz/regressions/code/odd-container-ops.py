x = [1]
x.pop(-5)
x.insert(-3, 2)
y = "abc"[99]
z = {}
z.get()
z.pop()
