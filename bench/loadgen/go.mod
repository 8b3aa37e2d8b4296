module switchback/bench/loadgen

go 1.24
