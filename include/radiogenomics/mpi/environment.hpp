#pragma once
/// \file environment.hpp
/// \brief The MPI runtime of one process: started only when an MPI launcher started the process, so the same
/// program runs alone (no MPI at all) or under `mpirun` / `srun`.
///
/// Component `radiogenomics::mpi` (CMake option `RG_WITH_MPI`). Nothing outside `radiogenomics/mpi/` includes
/// MPI: the library's computations stay free of it, and only the example programs' batch layer distributes work.
/// MPI is initialised with `MPI_THREAD_FUNNELED`: only the thread that created the `environment` calls MPI;
/// other threads compute.

#include <mpi.h>

#include <chrono>
#include <cstdlib>
#include <string>
#include <thread>

#include "radiogenomics/core/error.hpp"

namespace radiogenomics::mpi {

/// True when an MPI launcher started this process: Open MPI's `mpirun` (OMPI_COMM_WORLD_SIZE), PMIx (`srun
/// --mpi=pmix`, Open MPI 5) or PMI (MPICH's hydra, `srun --mpi=pmi2`). A program started by hand is not, and then
/// runs without MPI (a singleton MPI_Init would cost time and may need a daemon).
inline bool launched_by_mpi()
{
    for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK", "PMI_SIZE"}) {
        if (std::getenv(name) != nullptr) {
            return true;
        }
    }
    return false;
}

/// MPI_Init_thread on construction, MPI_Finalize on destruction (when this object initialised MPI).
class environment {
public:
    environment()
    {
        int initialised = 0;
        MPI_Initialized(&initialised);
        if (initialised == 0) {
            int provided = 0;
            if (MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS) {
                raise<error>("mpi.environment", "MPI_Init_thread failed, expected an MPI runtime (mpirun/srun).");
            }
            m_owner = true;
            if (provided < MPI_THREAD_FUNNELED) {
                MPI_Finalize();
                raise<error>("mpi.environment", "the MPI library provides thread level ", provided,
                             ", expected at least MPI_THREAD_FUNNELED (compute threads beside the MPI thread).");
            }
        }
        MPI_Comm_rank(MPI_COMM_WORLD, &m_rank);
        MPI_Comm_size(MPI_COMM_WORLD, &m_size);
    }
    environment(const environment&) = delete;
    environment& operator=(const environment&) = delete;
    ~environment()
    {
        int finalised = 0;
        MPI_Finalized(&finalised);
        if (m_owner && finalised == 0) {
            MPI_Finalize();
        }
    }

    int rank() const { return m_rank; }
    int size() const { return m_size; }
    bool root() const { return m_rank == 0; }

    /// Ends every process of the job with `code` (MPI_Abort): for a failure that leaves the others waiting.
    [[noreturn]] void abort(int code) const
    {
        MPI_Abort(MPI_COMM_WORLD, code);
        std::_Exit(code);  // not reached
    }

private:
    bool m_owner = false;
    int m_rank = 0;
    int m_size = 1;
};

namespace detail {

/// Sends `bytes` to `dest` (blocking until the buffer may be reused).
inline void send_bytes(const std::string& bytes, int dest, int tag)
{
    MPI_Send(bytes.data(), static_cast<int>(bytes.size()), MPI_BYTE, dest, tag, MPI_COMM_WORLD);
}

/// Receives the message that `status` (from a probe) announced.
inline std::string receive_bytes(const MPI_Status& status)
{
    int count = 0;
    MPI_Get_count(&status, MPI_BYTE, &count);
    std::string bytes(static_cast<std::size_t>(count), '\0');
    MPI_Recv(bytes.data(), count, MPI_BYTE, status.MPI_SOURCE, status.MPI_TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    return bytes;
}

/// True (and `status` filled) when a message from `source` with `tag` is waiting; never blocks.
inline bool message_waiting(int source, int tag, MPI_Status& status)
{
    int flag = 0;
    MPI_Iprobe(source, tag, MPI_COMM_WORLD, &flag, &status);
    return flag != 0;
}

/// Waits for a message from `source` with `tag`, sleeping `poll` between probes: Open MPI's blocking calls spin
/// on a core, which an oversubscribed node (ranks x threads > cores) cannot spare.
inline std::string wait_bytes(int source, int tag, MPI_Status& status,
                              std::chrono::microseconds poll = std::chrono::microseconds(500))
{
    while (!message_waiting(source, tag, status)) {
        std::this_thread::sleep_for(poll);
    }
    return receive_bytes(status);
}

}  // namespace detail

}  // namespace radiogenomics::mpi
