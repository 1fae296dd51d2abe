class A { void m() { switch (x) { case 1 -> y(); default -> { z(); } } var q = switch (k) { case "a" -> 1; default -> { yield 2; } }; Runnable r = () -> System.out.println(this); int[][] a = {{1},{2}}; label: for (;;) { break label; } } record R(int x) { R { } } enum E { A { void f(){} }; } }
@interface Ann { String value() default ""; }
class B extends A implements java.io.Serializable { B() { super(); this(1); } static { new A() {{ m(); }}; } }
