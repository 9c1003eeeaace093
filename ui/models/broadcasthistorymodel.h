#pragma once

#include <QAbstractTableModel>
#include <QDateTime>

namespace mmv::ui {

/// The broadcasts sent from the dashboard, newest last, with their `delivered_to` count once
/// the server answered (actionFinished "emit" answers come back in the order sent).
class BroadcastHistoryModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    struct Broadcast
    {
        QDateTime time;
        QString event;
        QString room;
        QString socketId;
        QString payload; ///< compact JSON
        int delivered = -1; ///< -1 while waiting for the answer
        QString error;
    };
    enum Column {
        TimeColumn,
        TargetColumn,
        EventColumn,
        DeliveredColumn,
        PayloadColumn,
        ColumnCount
    };

    static constexpr int Capacity = 500;

    explicit BroadcastHistoryModel(QObject *parent = nullptr);

    void append(const Broadcast &broadcast);
    /// Completes the oldest broadcast still waiting; false when none waits.
    bool finishOldestPending(int delivered, const QString &error);
    const Broadcast &broadcast(int row) const { return m_items.at(row); }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    QList<Broadcast> m_items;
};

} // namespace mmv::ui
