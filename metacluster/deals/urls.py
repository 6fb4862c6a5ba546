from django.urls import path

from . import views

app_name = "deals"
urlpatterns = [
    path("", views.deal_list, name="list"),
    path("new/", views.deal_edit, name="create"),
    path("board/", views.deal_board, name="board"),
    path("<int:pk>/move/", views.deal_move, name="move"),
    path("<int:pk>/", views.deal_detail, name="detail"),
    path("<int:pk>/edit/", views.deal_edit, name="edit"),
]
