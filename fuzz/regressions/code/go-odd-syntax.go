package main
import ("fmt"; h "net/http"; . "os"; _ "embed")
func (s *S) M(a, b int, c ...string) (x int, err error) { switch v := y.(type) { case int: return } ; select { case <-ch: default: }; for i := range 10 { go func(){ defer f() }() }; goto L; L: x++; m := map[string]int{"a": 1}; _ = m["a"]; var z [3]int; _ = z[1:2]; return 0, nil }
type T struct{ A int }
func main() { fmt.Println(h.StatusOK) }
