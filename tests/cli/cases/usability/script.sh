# A source file with a `#!/usr/bin/env mica` line runs as a script.
mkdir bin
ln -s "$MICA" bin/mica
printf '#!/usr/bin/env mica\nfun main(args: String[]) {\n    println("script ${args[0]}");\n}\n' >greet
chmod +x greet
PATH="$PWD/bin:$PATH" ./greet world >out.txt 2>err.txt
status=$?
expect_status 0
expect_out 'script world
'
expect_no_err
