class A:
    def m(self):
        self.m(self.m(self))

A().m()
