# make bench-linux's chart (bench/linux/run.sh runs it in build/bench/):
# figures.dat and boot.dat (written by tools/bench/benchtab) into bench.png.
set terminal pngcairo size 1200,1000 font "DejaVu Sans,10"
set output "bench.png"
set multiplot layout 2,1 title "Tessera and Linux in the same QEMU configuration (make bench-linux)"

set title "Tessera / Linux, medians (cycles, ms: below 1 Tessera takes less; storage, DISK.*, MiB/s and IOPS: above 1 Tessera is faster)"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set boxwidth 0.8
set logscale y 10
set grid ytics
set ylabel "ratio"
set xtics rotate by -25 nomirror
set arrow 1 from graph 0, first 1 to graph 1, first 1 nohead dashtype 2 lc rgb "black"
plot "figures.dat" using 2:xtic(1) title "Tessera / Linux" lc rgb "#3a6ea5"

unset arrow 1
unset logscale y
set title "Boot stages: median host milliseconds from QEMU's start"
set style histogram rowstacked
set ylabel "ms"
set key outside right
plot "boot.dat" using 2:xtic(1) title "firmware" lc rgb "#999999", \
     "" using 3 title "loader" lc rgb "#e0a030", \
     "" using 4 title "kernel" lc rgb "#3a6ea5", \
     "" using 5 title "user space" lc rgb "#50a050"
unset multiplot
