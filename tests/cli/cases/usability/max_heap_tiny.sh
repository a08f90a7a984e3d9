# A heap too small for the VM itself is refused with an explanation.
write_hello
run run --max-heap=1 hello.mica
expect_status 1
expect_err "mica: cannot create the virtual machine: a heap of 1 byte (--max-heap) cannot hold the VM's own data; sizes are in bytes unless they end in k, m or g (e.g. --max-heap=64m)
"
