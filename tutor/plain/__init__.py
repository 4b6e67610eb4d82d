"""The plain terminal front end: the lesson and quiz players as one prompt loop on stdin/stdout."""
