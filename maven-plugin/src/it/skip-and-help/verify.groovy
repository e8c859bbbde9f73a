def log = new File(basedir, 'build.log').text
assert log.contains('nnc:generate')
assert log.contains('nnc:generate-test')
assert log.contains('nnc:help')
// every parameter of generate is described
['packageName', 'models', 'skip', 'sourceDirectory', 'outputDirectory'].each { p ->
    assert log =~ /(?s)${p}\s*\n\s+\S/ : "no description of ${p}"
}
assert log.contains('User property: nnc.skip')
assert log.contains('nnc: skipped (nnc.skip)')
assert !new File(basedir, 'target/generated-sources/nnc').exists()
return true
