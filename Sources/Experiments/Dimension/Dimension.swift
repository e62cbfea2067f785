import Linalg
