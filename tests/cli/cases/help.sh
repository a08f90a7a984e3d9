# `mica --help` and `mica help` print every form of usage.
for h in --help help; do
    run "$h"
    expect_status 0
    expect_no_err
    expect_out_has "mica run [--allow-native] [-cp DIR]... SOURCES... [--] [ARGS...]"
    expect_out_has "mica run [--allow-native] -cp DIR[:DIR...] CLASS [ARGS...]"
    expect_out_has "mica build -d OUTDIR [-cp DIR]... SOURCES..."
    expect_out_has "mica disasm FILE.mcl..."
    expect_out_has "--version"
done
