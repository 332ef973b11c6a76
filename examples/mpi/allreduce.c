/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * Sums the ranks of all processes with MPI_Allreduce.  Each rank prints
 * "rank R of N: sum S", where S is N * (N - 1) / 2.
 */
#include <mpi.h>
#include <stdio.h>

int main(int argc, char **argv)
{
	int rank;
	int size;
	int sum;

	MPI_Init(&argc, &argv);
	MPI_Comm_rank(MPI_COMM_WORLD, &rank);
	MPI_Comm_size(MPI_COMM_WORLD, &size);
	MPI_Allreduce(&rank, &sum, 1, MPI_INT, MPI_SUM, MPI_COMM_WORLD);
	printf("rank %d of %d: sum %d\n", rank, size, sum);
	MPI_Finalize();
	return 0;
}
