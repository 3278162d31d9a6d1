#pragma once
/// \file mpi.hpp
/// \brief The `radiogenomics::mpi` concern (component `radiogenomics::mpi`, needs MPI): the runtime of one
/// process and the dynamic task farm that distributes a batch over ranks.
#include "radiogenomics/mpi/environment.hpp"
#include "radiogenomics/mpi/task_farm.hpp"
