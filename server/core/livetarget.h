#pragma once

#include <QMetaObject>

#include <atomic>
#include <mutex>

namespace mmv {

/// The address of a QObject that other threads call back while it exists. The object owns a
/// std::shared_ptr to one, gives copies to its workers and calls clear() first thing in its
/// destructor; a worker's post() then either queues the call in the object's thread while the
/// object certainly exists (Qt drops it if the object goes before it runs), or is told the
/// object is gone.
template<typename T>
class LiveTarget
{
public:
    explicit LiveTarget(T *target)
        : m_target(target)
    { }

    void clear()
    {
        std::lock_guard lock(m_mutex);
        m_target = nullptr;
    }
    bool gone() const { return m_target.load() == nullptr; }

    /// Queues `call(target)` in the target's thread; false, with nothing queued, once gone.
    template<typename F>
    bool post(F call)
    {
        return with([&call](T *target) {
            QMetaObject::invokeMethod(
                target, [target, call = std::move(call)] { call(target); }, Qt::QueuedConnection);
        });
    }
    /// Runs `work(target)` here while the target cannot go; false, without running it, once
    /// gone.
    template<typename F>
    bool with(F &&work)
    {
        std::lock_guard lock(m_mutex);
        T *target = m_target;
        if (!target)
            return false;
        work(target);
        return true;
    }

private:
    std::mutex m_mutex;
    std::atomic<T *> m_target;
};

} // namespace mmv
