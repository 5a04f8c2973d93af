"""Fitting into the room there is: a dialog's fields that scroll on a small screen instead of pushing the
window past it, and table columns whose names and amounts stay whole on one line."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPersistentModelIndex, QSize, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHeaderView,
    QScrollArea,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from .application import usable_size

SCROLL_MIN_HEIGHT = 120  # the least a scrolling body keeps: a few fields, never nothing


class ScrollingBody(QScrollArea):
    """A dialog's fields in a scroll area that asks for the room they take (so the dialog opens at its
    natural size when the screen has room) but can be made as low as a few fields: on a small screen (a
    1366×768 laptop at 125 %) the dialog is fitted to the screen and its fields scroll, the buttons stay in
    sight. Frameless, and no stop of its own for Tab; a field reached with Tab is scrolled into view."""

    def __init__(self, body: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._opened = False
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setWidget(body)
        body.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.widget() and event.type() == QEvent.Type.LayoutRequest:
            self.updateGeometry()  # fields added or shown: the dialog may take more room
        return super().eventFilter(watched, event)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        """The first time: Qt opens a window at most two thirds of the screen high, which would scroll fields
        that fit. Give the window what its fields ask for, up to the screen (it is centred afterwards)."""
        super().showEvent(event)
        window = self.window()
        if self._opened or window is self:
            return
        self._opened = True
        layout = window.layout()
        want = layout.totalSizeHint() if layout is not None else window.sizeHint()
        room = usable_size(window)
        width = max(window.width(), min(want.width(), room.width()))
        height = max(window.height(), min(want.height(), room.height()))
        if (width, height) != (window.width(), window.height()):
            window.resize(width, height)

    def sizeHint(self) -> QSize:  # noqa: N802
        body = self.widget()
        if body is None:
            return super().sizeHint()
        frame = 2 * self.frameWidth()
        hint = body.sizeHint().expandedTo(body.minimumSizeHint())
        return QSize(hint.width() + frame + self.verticalScrollBar().sizeHint().width(), hint.height() + frame)

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        body = self.widget()
        if body is None:
            return super().minimumSizeHint()
        frame = 2 * self.frameWidth()
        least = body.minimumSizeHint()
        return QSize(least.width() + frame + self.verticalScrollBar().sizeHint().width(),
                     min(least.height(), SCROLL_MIN_HEIGHT) + frame)


class OneLineDelegate(QStyledItemDelegate):
    """A cell drawn on one line, never wrapped: a name, an amount or a date is never broken in two. What
    does not fit the column ends in "…" (the cell's tooltip has it whole)."""

    def initStyleOption(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> None:  # noqa: N802
        super().initStyleOption(option, index)
        option.features &= ~QStyleOptionViewItem.ViewItemFeature.WrapText
        option.textElideMode = Qt.TextElideMode.ElideRight


def one_line_columns(view: QTableView, columns: Iterable[int]) -> OneLineDelegate:
    """Draw `columns` of `view` on one line (the other columns keep wrapping, if the view wraps)."""
    delegate = OneLineDelegate(view)
    for col in columns:
        view.setItemDelegateForColumn(col, delegate)
    return delegate


def fit_columns(view: QAbstractItemView, header: QHeaderView, columns: Iterable[int], most: int) -> None:
    """Make each of `columns` as wide as its widest value (and its title), but at most `most` pixels."""
    for col in columns:
        header.resizeSection(col, min(max(view.sizeHintForColumn(col), header.sectionSizeHint(col)), most))
